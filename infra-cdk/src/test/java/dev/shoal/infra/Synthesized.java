package dev.shoal.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Synthesized stacks shared by all CDK tests in this JVM: the first synth starts jsii's node
 * process and takes 5-25 s, later ones under a second. Each variant is synthesized once.
 */
final class Synthesized {

    /** A stand-in for the functions jar: the template only hashes it. */
    static final Path JAR = placeholderJar();

    private static final Map<String, Synthesis> VARIANTS = new ConcurrentHashMap<>();

    record Synthesis(ShoalStack stack, Template template, TemplateJson json) {
    }

    private Synthesized() {
    }

    /** The stack with every default. */
    static Synthesis defaults() {
        return variant("defaults", b -> b);
    }

    /** Alarms notify a topic. */
    static Synthesis notified() {
        return variant("notified", b -> b.alarmTopicArn("arn:aws:sns:eu-west-1:123456789012:ops"));
    }

    /** The dispatcher may invoke one listed function and no name prefix. */
    static Synthesis listedTargets() {
        return variant("listed-targets", b -> b
                .targetNamePrefix("")
                .targetArns(java.util.List.of("arn:aws:lambda:eu-west-1:123456789012:function:orders")));
    }

    /**
     * The stack with every default and cdk-nag's AWS Solutions rules applied (before synthesis:
     * aspects run then), with {@code suppress} adding the reasoned suppressions.
     */
    static Synthesis nagged(java.util.function.Consumer<ShoalStack> suppress) {
        return VARIANTS.computeIfAbsent("nagged", n -> {
            App app = new App();
            ShoalStack stack = new ShoalStack(app, "Test", StackProps.builder().build(), ShoalDeploymentProps.builder(JAR).build());
            suppress.accept(stack);
            software.amazon.awscdk.Aspects.of(app).add(new io.github.cdklabs.cdknag.AwsSolutionsChecks(
                    io.github.cdklabs.cdknag.NagPackProps.builder().verbose(true).build()));
            Template template = Template.fromStack(stack);
            return new Synthesis(stack, template, new TemplateJson(template.toJSON()));
        });
    }

    /**
     * A stack with some settings changed; {@code name} identifies it across tests, so one name
     * must always come with the same settings.
     */
    static Synthesis variant(String name, UnaryOperator<ShoalDeploymentProps.Builder> settings) {
        return VARIANTS.computeIfAbsent(name, n -> {
            ShoalDeploymentProps props = settings.apply(ShoalDeploymentProps.builder(JAR)).build();
            App app = new App();
            ShoalStack stack = new ShoalStack(app, "Test", StackProps.builder().build(), props);
            Template template = Template.fromStack(stack);
            return new Synthesis(stack, template, new TemplateJson(template.toJSON()));
        });
    }

    private static Path placeholderJar() {
        try {
            Path jar = Files.createTempFile("shoal-functions-lambda", ".jar");
            jar.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.putNextEntry(new ZipEntry("placeholder.txt"));
                zip.write("not a real function".getBytes());
                zip.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
