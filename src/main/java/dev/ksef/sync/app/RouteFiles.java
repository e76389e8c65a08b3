package dev.ksef.sync.app;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * The route files of {@code camel.main.routes-include-pattern}, found before Camel looks: a {@code classpath:} pattern
 * with a wildcard becomes the list of the files it matches. Camel resolves such a pattern inside a jar by reading the
 * whole jar as a stream (the application's 57 MB jar, about 0.9 s, and camel-main does it twice: once for beans, once
 * for routes); the jar's central directory lists its entries in milliseconds. Anything else (a {@code file:} pattern,
 * a pattern without a wildcard, one that matches nothing here) is left to Camel as it is.
 */
final class RouteFiles {

    private RouteFiles() {
    }

    /** {@code pattern} (comma separated) with each {@code classpath:dir/*.ext} element replaced by the files it matches. */
    static String expand(String pattern, ClassLoader loader) {
        List<String> expanded = new ArrayList<>();
        for (String element : pattern.split(",")) {
            String e = element.strip();
            List<String> files = e.startsWith("classpath:") && e.contains("*") ? matches(e.substring("classpath:".length()), loader) : List.of();
            if (files.isEmpty()) {
                expanded.add(e);
            } else {
                files.forEach(f -> expanded.add("classpath:" + f));
            }
        }
        return String.join(",", expanded);
    }

    /** Resource names matching {@code glob} (wildcards in its last segment only), or none when it cannot tell. */
    private static List<String> matches(String glob, ClassLoader loader) {
        int slash = glob.lastIndexOf('/');
        String dir = slash < 0 ? "" : glob.substring(0, slash);
        if (dir.contains("*") || dir.isEmpty()) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(slash + 1));
        java.util.Set<String> found = new java.util.LinkedHashSet<>(); // the same file twice on the class path is one route file
        try {
            for (URL url : java.util.Collections.list(loader.getResources(dir))) {
                if (url.getProtocol().equals("jar")) {
                    JarURLConnection connection = (JarURLConnection) url.openConnection();
                    try (ZipFile jar = new ZipFile(Path.of(connection.getJarFileURL().toURI()).toFile())) {
                        jar.stream().map(z -> z.getName()).filter(n -> !n.endsWith("/") && n.startsWith(dir + "/")
                                && n.indexOf('/', dir.length() + 1) < 0 && matcher.matches(Path.of(n.substring(dir.length() + 1)))).sorted().forEach(found::add);
                    }
                } else if (url.getProtocol().equals("file")) {
                    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                        files.filter(f -> Files.isRegularFile(f) && matcher.matches(f.getFileName())).map(f -> dir + "/" + f.getFileName())
                                .sorted().forEach(found::add);
                    }
                } else {
                    return List.of();
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return List.of(); // Camel will resolve the pattern itself
        }
        return List.copyOf(found);
    }
}
