package dev.shoal.it;

import dev.shoal.storage.testing.EmbeddedAwsExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An end-to-end test class: its tests get an {@code AwsFixture} from the shared stack (embedded,
 * or LocalStack with {@code -Plocalstack}), and are skipped, not failed, when LocalStack was asked
 * for and Docker is not there.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({LocalStackCondition.class, EmbeddedAwsExtension.class})
@interface EndToEnd {
}
