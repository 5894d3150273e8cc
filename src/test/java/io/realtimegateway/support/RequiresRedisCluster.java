package io.realtimegateway.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class that needs a real Redis Cluster ({@link RedisCluster}): where no Redis 7 binary exists it is reported
 * as skipped, with the reason, before anything (Quarkus included) starts; never as passed.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresRedisCluster.Condition.class)
public @interface RequiresRedisCluster {

    /** Skips the test class when {@link RedisCluster#unavailable()} gives a reason. */
    final class Condition implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String why = RedisCluster.unavailable();
            return why == null ? ConditionEvaluationResult.enabled("a Redis >= 7 binary exists")
                    : ConditionEvaluationResult.disabled("Redis Cluster tests skipped: " + why);
        }
    }
}
