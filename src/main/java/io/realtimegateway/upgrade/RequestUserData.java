package io.realtimegateway.upgrade;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.quarkus.websockets.next.UserData;

/** The {@link UserData} of a connection that is not a WebSocket (an event stream of the HTTP fallback). Thread-safe. */
final class RequestUserData implements UserData {

    private final ConcurrentMap<TypedKey<?>, Object> values = new ConcurrentHashMap<>();

    @Override
    @SuppressWarnings("unchecked")
    public <VALUE> VALUE get(TypedKey<VALUE> key) {
        return (VALUE) values.get(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <VALUE> VALUE put(TypedKey<VALUE> key, VALUE value) {
        return (VALUE) values.put(key, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <VALUE> VALUE remove(TypedKey<VALUE> key) {
        return (VALUE) values.remove(key);
    }

    @Override
    public int size() {
        return values.size();
    }

    @Override
    public void clear() {
        values.clear();
    }
}
