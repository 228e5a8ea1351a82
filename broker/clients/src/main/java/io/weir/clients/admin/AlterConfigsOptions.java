package io.weir.clients.admin;

/**
 * Options of {@link Admin#incrementalAlterConfigs(java.util.Map, AlterConfigsOptions)}, as a small immutable value:
 * each setter returns a copy, so Kafka's idiom {@code new AlterConfigsOptions().validateOnly(true)} reads the same.
 */
public final class AlterConfigsOptions {
    private final boolean validateOnly;

    /** The defaults: the changes are applied. */
    public AlterConfigsOptions() {
        this(false);
    }

    private AlterConfigsOptions(boolean validateOnly) {
        this.validateOnly = validateOnly;
    }

    /** With {@code true}, the broker checks every change as it would apply it, answers the same errors, and changes nothing. */
    public AlterConfigsOptions validateOnly(boolean validateOnly) {
        return new AlterConfigsOptions(validateOnly);
    }

    public boolean shouldValidateOnly() {
        return validateOnly;
    }

    @Override
    public String toString() {
        return "AlterConfigsOptions(validateOnly=" + validateOnly + ")";
    }
}
