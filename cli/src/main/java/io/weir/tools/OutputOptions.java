package io.weir.tools;

import picocli.CommandLine.Option;

/** {@code --output}: aligned tables for people, JSON for scripts. */
final class OutputOptions {
    enum Format {
        TABLE,
        JSON
    }

    @Option(
            names = "--output",
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "table (aligned, for people) or json (for scripts); default: ${DEFAULT-VALUE}.")
    Format format = Format.TABLE;

    boolean json() {
        return format == Format.JSON;
    }
}
