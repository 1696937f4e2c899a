package dev.shoal.infra;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.shoal.infra.TemplateJson.map;
import static org.junit.jupiter.api.Assertions.*;

/** The api function on Lambda Managed Instances: a deployment option beside standard Lambda. */
class ManagedInstancesTemplateTest {

    private final TemplateJson json = Synthesized.variant("managed", b -> b.apiManagedInstances(
            new ManagedInstancesSettings(List.of("subnet-aaa", "subnet-bbb"), List.of("sg-111"), 300, 32))).json();

    @Test
    void theApiFunctionRunsOnACapacityProviderInTheGivenSubnetsWithManyRequestsPerEnvironment() {
        assertEquals(1, json.resources("AWS::Lambda::CapacityProvider").size());
        Map<String, Object> provider = json.resources("AWS::Lambda::CapacityProvider").values().iterator().next();
        String text = provider.toString();
        assertTrue(text.contains("subnet-aaa") && text.contains("subnet-bbb") && text.contains("sg-111"), text);
        assertTrue(text.contains("arm64"), text);

        Map<String, Object> api = json.propertiesWhere("AWS::Lambda::Function", "FunctionName", "shoal-api");
        assertNull(api.get("SnapStart"), "SnapStart does not apply to Managed Instances");
        Map<String, Object> config = map(map(api.get("CapacityProviderConfig")).get("LambdaManagedInstancesCapacityProviderConfig"));
        assertEquals(300, ((Number) config.get("PerExecutionEnvironmentMaxConcurrency")).intValue());
        assertNotNull(config.get("CapacityProviderArn"));
    }

    @Test
    void theOtherFunctionsStayOnStandardLambdaWithSnapStart() {
        for (String name : List.of("shoal-dispatcher", "shoal-janitor")) {
            Map<String, Object> f = json.propertiesWhere("AWS::Lambda::Function", "FunctionName", name);
            assertEquals(Map.of("ApplyOn", "PublishedVersions"), f.get("SnapStart"), name);
            assertNull(f.get("CapacityProviderConfig"), name);
        }
    }

    @Test
    void theDefaultDeploymentHasNoCapacityProvider() {
        assertEquals(0, Synthesized.defaults().json().resources("AWS::Lambda::CapacityProvider").size());
    }

    @Test
    void settingsWithoutASubnetOrSecurityGroupAreRefusedWithWhatIsMissing() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ManagedInstancesSettings(List.of("subnet-a"), List.of(), 10, 4));
        assertTrue(e.getMessage().contains("at least one subnet and one security group"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ManagedInstancesSettings(List.of("s"), List.of("g"), 2000, 4));
    }
}
