package dev.ksef.sync;

import jakarta.jms.ConnectionFactory;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;

/**
 * The host's beans the bundle uses instead of making its own: the one bean of a type in the registry, or the one named
 * by the bundle's setting when the host has several. Anything else is one clear configuration error.
 */
public final class HostBeans {

    private HostBeans() {
    }

    public static DataSource dataSource(CamelContext context, String name) {
        return find(context, DataSource.class, name, "ksef.datasource", "a javax.sql.DataSource for the bundle's state "
                + "(continuation points, export runs, delivered keys)");
    }

    public static ConnectionFactory connectionFactory(CamelContext context, String name) {
        return find(context, ConnectionFactory.class, name, "ksef.jms.connection-factory", "a jakarta.jms.ConnectionFactory for the jms: "
                + "destinations");
    }

    public static <T> Optional<T> optional(CamelContext context, String name, Class<T> type) {
        return Optional.ofNullable(context.getRegistry().lookupByNameAndType(name, type));
    }

    private static <T> T find(CamelContext context, Class<T> type, String name, String setting, String purpose) {
        if (name != null && !name.isBlank()) {
            T named = context.getRegistry().lookupByNameAndType(name.strip(), type);
            if (named == null) {
                throw new KsefConfigurationException(setting + " names '" + name.strip() + "', but the registry has no " + type.getName()
                        + " of that name");
            }
            return named;
        }
        Set<T> all = context.getRegistry().findByType(type);
        if (all.size() == 1) {
            return all.iterator().next();
        }
        throw new KsefConfigurationException(all.isEmpty()
                ? "the bundle needs " + purpose + ": bind one in the Camel registry (the only one of its type is used) or name it with " + setting
                : "the registry holds " + all.size() + " beans of type " + type.getName() + ": name the bundle's with " + setting);
    }
}
