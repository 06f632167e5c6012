package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.testing.Cli;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a run builds before it starts working: only the command it runs, the native library unpacked once. */
class StartupPathTest {
    @TempDir
    Path tmp;

    @Test
    void shouldBuildOnlyTheCommandItRuns() {
        assertThat(PalisadeCommand.subcommandsFor(new String[] {"image", "debian:12", "--severity", "HIGH"}))
                .containsExactly(ImageCommand.class);
        assertThat(PalisadeCommand.subcommandsFor(new String[] {"db", "status"}))
                .containsExactly(DbCommand.class);
        assertThat(PalisadeCommand.subcommandsFor(new String[] {"-c", "settings.yaml", "fs", "."}))
                .containsExactly(FsCommand.class);
        assertThat(PalisadeCommand.subcommandsFor(new String[] {"--version"})).isEmpty();
    }

    @Test
    void shouldBuildEveryCommandWhereOneMayBeListed() {
        for (String[] args : new String[][] {
            {}, {"--help"}, {"help", "image"}, {"completion", "bash"}, {"imgae", "x"}, {"--verbose", "image"}
        }) {
            assertThat(PalisadeCommand.subcommandsFor(args))
                    .as(String.join(" ", args))
                    .isEqualTo(PalisadeCommand.SUBCOMMANDS);
        }
    }

    @Test
    void shouldListEveryCommandInTheTopLevelHelp() {
        Cli.Result help = Cli.run("--help");

        assertThat(help.exit()).isZero();
        for (Class<?> subcommand : PalisadeCommand.SUBCOMMANDS) {
            String name = subcommand.getAnnotation(CommandLine.Command.class).name();
            assertThat(help.out()).as(name).containsPattern("(?m)^\\s+" + name + "\\b");
        }
    }

    @Test
    void shouldSuggestTheCommandMeantWhenOneIsMistyped() {
        Cli.Result mistyped = Cli.run("imgae", "debian:12");

        assertThat(mistyped.exit()).isEqualTo(2);
        assertThat(mistyped.err()).contains("image");
    }

    @Test
    void shouldPrintTheSameVersionWithTheFlagAsWithTheCommand() {
        Map<String, String> cache =
                Map.of("PALISADE_CACHE_DIR", tmp.resolve("cache").toString());

        Cli.Result flag = Cli.runWith(cache, "--version");
        Cli.Result command = Cli.runWith(cache, "version");

        assertThat(flag.exit()).isZero();
        assertThat(flag.out()).isEqualTo(command.out()).startsWith("palisade " + PalisadeCommand.version() + "\n");
    }

    @Test
    void shouldStillCheckTheSettingsFileWhenOnlyTheVersionIsAsked() throws Exception {
        Files.writeString(tmp.resolve("palisade.yaml"), "severty: HIGH\n");

        Cli.Result version = Cli.runIn(tmp, Map.of(), "--version");

        assertThat(version.exit()).isEqualTo(2);
        assertThat(version.err()).contains("unknown setting 'severty'");
    }

    @Test
    void shouldUnpackTheSqliteLibraryOnceAndReuseIt() throws Exception {
        Path first = Main.unpackedSqliteLibrary(tmp);

        assertThat(first).isNotNull();
        assertThat(first.getParent()).isEqualTo(tmp);
        assertThat(first.getFileName().toString())
                .startsWith("libsqlitejdbc-" + org.sqlite.SQLiteJDBCLoader.getVersion());
        String resource = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath() + "/"
                + org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
        try (InputStream in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            assertThat(in).isNotNull();
            assertThat(Files.readAllBytes(first)).isEqualTo(in.readAllBytes());
        }
        FileTime written = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
        Files.setLastModifiedTime(first, written);

        Path second = Main.unpackedSqliteLibrary(tmp);

        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second)).isEqualTo(written);
        try (var files = Files.list(tmp)) {
            assertThat(files).containsExactly(first);
        }
    }

    @Test
    void shouldUnpackTheZstdLibraryOnceAndReuseIt() throws Exception {
        Path first = Main.unpackedZstdLibrary(tmp);

        assertThat(first).isNotNull();
        assertThat(first.getFileName().toString())
                .isEqualTo("libzstd-jni-" + com.github.luben.zstd.util.ZstdVersion.VERSION + "-Linux-"
                        + System.getProperty("os.arch") + ".so");
        try (InputStream in = com.github.luben.zstd.util.Native.class.getResourceAsStream("/linux/"
                + System.getProperty("os.arch") + "/libzstd-jni-" + com.github.luben.zstd.util.ZstdVersion.VERSION
                + ".so")) {
            assertThat(in).isNotNull();
            assertThat(Files.readAllBytes(first)).isEqualTo(in.readAllBytes());
        }
        FileTime written = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
        Files.setLastModifiedTime(first, written);

        assertThat(Main.unpackedZstdLibrary(tmp)).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(first)).isEqualTo(written);
    }
}
