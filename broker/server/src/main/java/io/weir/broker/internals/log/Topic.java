package io.weir.broker.internals.log;

import io.weir.common.errors.InvalidTopicException;

/** Kafka's rules for topic names, shared by the broker and the clients' early checks. */
public final class Topic {
    public static final int MAX_NAME_LENGTH = 249;

    private Topic() {}

    /**
     * @throws InvalidTopicException naming the topic when it is null, empty, {@code .} or {@code ..}, longer
     *         than 249 characters, or holds a character outside {@code [a-zA-Z0-9._-]}
     */
    public static void validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidTopicException("Topic name is illegal, it can't be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidTopicException("Topic name cannot be \".\" or \"..\"");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidTopicException("Topic name '" + name.substring(0, 20) + "...' is " + name.length()
                    + " characters long; the limit is " + MAX_NAME_LENGTH);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!legal) {
                throw new InvalidTopicException("Topic name '" + name + "' is illegal: character '" + c + "' at index "
                        + i + " is not one of ASCII alphanumerics, '.', '_' and '-'");
            }
        }
    }
}
