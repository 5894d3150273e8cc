package io.realtimegateway.protocol;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson mapper of the wire protocol: thread-safe, shared, configured once. */
public final class Json {

    /** Nesting deeper than this is refused as bad JSON rather than risking deep recursion. */
    public static final int MAX_NESTING_DEPTH = 64;

    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
    }

    private Json() {
    }
}
