package dev.ksef.sync.app;

import dev.ksef.sync.KsefConfigurationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The options of a sub-command: {@code --name value} pairs and flags, a mistake as one {@link KsefConfigurationException} line. */
final class CommandOptions {

    private CommandOptions() {
    }

    /** Options with a value ({@code valued}; only {@code --cron} may repeat) and flags; anything else is a mistake. */
    static Map<String, List<String>> parse(String command, List<String> args, Set<String> valued, Set<String> flags) {
        Map<String, List<String>> options = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (flags.contains(option)) {
                options.put(option, List.of());
            } else if (valued.contains(option)) {
                if (i + 1 == args.size() || args.get(i + 1).startsWith("--")) {
                    throw new KsefConfigurationException(command + ": " + option + " needs a value");
                }
                List<String> values = options.computeIfAbsent(option, k -> new ArrayList<>());
                if (!values.isEmpty() && !option.equals("--cron")) {
                    throw new KsefConfigurationException(command + ": " + option + " is given twice");
                }
                values.add(args.get(++i));
            } else {
                throw new KsefConfigurationException(command + ": unknown option '" + option + "' (tenant --help shows the forms)");
            }
        }
        return options;
    }

    static String first(Map<String, List<String>> options, String option) {
        List<String> values = options.get(option);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static String required(Map<String, List<String>> options, String command, String option) {
        String value = first(options, option);
        if (value == null) {
            throw new KsefConfigurationException(command + ": " + option + " is missing");
        }
        return value;
    }
}
