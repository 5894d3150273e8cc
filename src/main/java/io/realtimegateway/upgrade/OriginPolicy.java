package io.realtimegateway.upgrade;

import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may open a WebSocket: exact origins ({@code https://app.example.com}), any subdomain
 * ({@code https://*.example.com}, not the apex itself) and any port ({@code http://localhost:*}). Matching is on the
 * lower-cased origin, as browsers send it (scheme, host, and the port only when it is not the default). Immutable and
 * thread-safe; pure, so plain tests cover it.
 */
public final class OriginPolicy {

    private final List<String> patterns;

    public OriginPolicy(List<String> patterns) {
        this.patterns = patterns.stream().map(String::trim).filter(p -> !p.isEmpty())
                .map(p -> p.toLowerCase(Locale.ROOT)).toList();
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    public boolean allows(String origin) {
        if (origin == null || origin.isBlank() || origin.equals("null")) {
            return false;
        }
        String candidate = origin.trim().toLowerCase(Locale.ROOT);
        for (String pattern : patterns) {
            if (matches(pattern, candidate)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String pattern, String origin) {
        if (pattern.equals(origin)) {
            return true;
        }
        if (pattern.endsWith(":*")) {
            String hostPart = pattern.substring(0, pattern.length() - 2);
            if (origin.equals(hostPart)) {
                return true;
            }
            if (origin.startsWith(hostPart + ":")) {
                String port = origin.substring(hostPart.length() + 1);
                return !port.isEmpty() && port.chars().allMatch(Character::isDigit);
            }
            return false;
        }
        int star = pattern.indexOf("://*.");
        if (star > 0) {
            String scheme = pattern.substring(0, star + 3);
            String suffix = pattern.substring(star + 4); // ".example.com"
            if (!origin.startsWith(scheme) || !origin.endsWith(suffix)) {
                return false;
            }
            String label = origin.substring(scheme.length(), origin.length() - suffix.length());
            return !label.isEmpty() && label.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '.')
                    && !label.startsWith(".") && !label.endsWith(".");
        }
        return false;
    }
}
