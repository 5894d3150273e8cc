package io.realtimegateway.broadcast;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class MemoryBrokerContractTest extends BrokerContractTest {

    @Override
    String expectedBroker() {
        return "memory";
    }
}
