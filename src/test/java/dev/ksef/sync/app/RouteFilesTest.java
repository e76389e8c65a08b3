package dev.ksef.sync.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The route pattern listed before Camel scans: from a jar's directory and from a folder on the class path. */
class RouteFilesTest {

    @TempDir
    Path dir;

    @Test
    void aClasspathWildcardBecomesTheFilesItMatchesInAJar() throws Exception {
        Path jar = dir.resolve("bundle.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (String name : new String[] {"ksef-sync/routes/", "ksef-sync/routes/b.camel.yaml", "ksef-sync/routes/a.camel.yaml",
                    "ksef-sync/routes/notes.txt", "ksef-sync/routes/old/c.camel.yaml", "other/d.camel.yaml"}) {
                out.putNextEntry(new ZipEntry(name));
                out.write("- route: {}".getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertEquals("classpath:ksef-sync/routes/a.camel.yaml,classpath:ksef-sync/routes/b.camel.yaml,file:routes/*.camel.yaml",
                    RouteFiles.expand("classpath:ksef-sync/routes/*.camel.yaml, file:routes/*.camel.yaml", loader));
            assertEquals("classpath:nowhere/*.camel.yaml", RouteFiles.expand("classpath:nowhere/*.camel.yaml", loader),
                    "a pattern that matches nothing here is left to Camel");
        }
    }

    @Test
    void theBundlesOwnRoutesFromAFolderOnTheClassPath() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("classes/ksef-sync/routes"));
        Files.writeString(routes.resolve("ksef-sync.camel.yaml"), "[]");
        Files.writeString(routes.resolve("ksef-auth.camel.yaml"), "[]");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("classes").toUri().toURL()}, null)) {
            assertEquals("classpath:ksef-sync/routes/ksef-auth.camel.yaml,classpath:ksef-sync/routes/ksef-sync.camel.yaml",
                    RouteFiles.expand("classpath:ksef-sync/routes/*.camel.yaml", loader));
            assertEquals("classpath:ksef-sync/routes/ksef-sync.camel.yaml", RouteFiles.expand("classpath:ksef-sync/routes/ksef-sync.camel.yaml", loader));
        }
    }
}
