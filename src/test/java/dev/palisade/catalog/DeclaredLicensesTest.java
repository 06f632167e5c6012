package dev.palisade.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.catalog.apk.ApkInstalledCataloger;
import dev.palisade.catalog.dpkg.DpkgCopyrightCataloger;
import dev.palisade.catalog.java.JavaArchiveCataloger;
import dev.palisade.catalog.java.KnownMavenGroups;
import dev.palisade.catalog.npm.NpmInstalledCataloger;
import dev.palisade.catalog.python.PythonInstalledCataloger;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.Problem;
import dev.palisade.source.ScanLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** The licences each package's own metadata declares, read into the inventory. */
class DeclaredLicensesTest {
    private final List<Problem> problems = new ArrayList<>();

    private List<Package> catalog(Cataloger cataloger, String path, byte[] bytes) throws Exception {
        FileEntry entry = new FileEntry(path, FileKind.FILE, bytes.length, 0644, 0, 0, null, 0);
        return cataloger.catalog(
                entry, new ByteArrayInputStream(bytes), new CatalogContext(ScanLimits.defaults(), problems::add, null));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void apkRecordsGiveTheirLField() throws Exception {
        List<Package> packages = catalog(
                new ApkInstalledCataloger(),
                "lib/apk/db/installed",
                utf8("P:musl\nV:1.2.4-r2\nL:MIT\n\nP:busybox\nV:1.36.1-r5\nL:GPL-2.0-only\n\nP:bare\nV:1\n\n"));

        assertThat(packages)
                .extracting(Package::licenses)
                .containsExactly(List.of("MIT"), List.of("GPL-2.0-only"), List.of());
    }

    @Test
    void dep5CopyrightFilesGiveTheirLicenseShortNamesAndFreeTextGivesNone() throws Exception {
        DpkgCopyrightCataloger copyright = new DpkgCopyrightCataloger();
        String dep5 = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
                + "Upstream-Name: zlib\n\nFiles: *\nCopyright: 1995 Someone\nLicense: Zlib\n\n"
                + "Files: contrib/*\nCopyright: 2000 Other\nLicense: GPL-2+\n This program is free software\n\n"
                + "License: Zlib\n The text.\n";

        List<Package> found = catalog(copyright, "usr/share/doc/zlib1g/copyright", utf8(dep5));

        assertThat(found).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("zlib1g");
            assertThat(p.licenses()).containsExactly("Zlib", "GPL-2+");
        });
        assertThat(catalog(copyright, "usr/share/doc/bash/copyright", utf8("This is Debian's bash.\nLicense: GPL\n")))
                .isEmpty();
        assertThat(copyright.wants(new FileEntry("usr/share/doc/a/b/copyright", FileKind.FILE, 1, 0644, 0, 0, null, 0)))
                .isFalse();
    }

    @Test
    void packageJsonLicenseInEachOfItsShapes() throws Exception {
        NpmInstalledCataloger npm = new NpmInstalledCataloger();

        assertThat(catalog(
                                npm,
                                "node_modules/a/package.json",
                                utf8("{\"name\":\"a\",\"version\":\"1.0.0\"," + "\"license\":\"(MIT OR Apache-2.0)\"}"))
                        .get(0)
                        .licenses())
                .containsExactly("(MIT OR Apache-2.0)");
        assertThat(catalog(
                                npm,
                                "node_modules/b/package.json",
                                utf8("{\"name\":\"b\",\"version\":\"1.0.0\","
                                        + "\"license\":{\"type\":\"ISC\",\"url\":\"x\"}}"))
                        .get(0)
                        .licenses())
                .containsExactly("ISC");
        assertThat(catalog(
                                npm,
                                "node_modules/c/package.json",
                                utf8("{\"name\":\"c\",\"version\":\"1.0.0\","
                                        + "\"licenses\":[{\"type\":\"MIT\"},{\"type\":\"GPL-2.0\"}]}"))
                        .get(0)
                        .licenses())
                .containsExactly("MIT", "GPL-2.0");
        assertThat(catalog(npm, "node_modules/d/package.json", utf8("{\"name\":\"d\",\"version\":\"1.0.0\"}"))
                        .get(0)
                        .licenses())
                .isEmpty();
    }

    @Test
    void pythonMetadataPrefersLicenseExpressionThenAShortLicenseThenClassifiers() throws Exception {
        PythonInstalledCataloger python = new PythonInstalledCataloger();
        String dir = "usr/lib/python3/site-packages/";

        assertThat(catalog(
                                python,
                                dir + "a-1.dist-info/METADATA",
                                utf8("Metadata-Version: 2.4\nName: a\nVersion: 1\n"
                                        + "License: BSD\nLicense-Expression: MIT OR Apache-2.0\n\nbody\n"))
                        .get(0)
                        .licenses())
                .containsExactly("MIT OR Apache-2.0");
        assertThat(catalog(
                                python,
                                dir + "b-1.dist-info/METADATA",
                                utf8("Metadata-Version: 2.1\nName: b\nVersion: 1\n" + "License: Apache 2.0\n\n"))
                        .get(0)
                        .licenses())
                .containsExactly("Apache 2.0");
        // a whole licence text in License is not a name: the classifier says it
        assertThat(catalog(
                                python,
                                dir + "c-1.dist-info/METADATA",
                                utf8("Metadata-Version: 2.1\nName: c\nVersion: 1\n"
                                        + "License: Copyright (c) 2020 Someone\n        Permission is hereby granted\n"
                                        + "Classifier: License :: OSI Approved :: MIT License\n\n"))
                        .get(0)
                        .licenses())
                .containsExactly("MIT License");
        assertThat(catalog(
                                python,
                                dir + "d-1.dist-info/METADATA",
                                utf8("Metadata-Version: 2.1\nName: d\nVersion: 1\n" + "License: UNKNOWN\n\n"))
                        .get(0)
                        .licenses())
                .isEmpty();
    }

    @Test
    void jarsGiveTheLicencesOfThePomBesideTheirPomProperties() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            String dir = "META-INF/maven/org.example/lib/";
            zip.putArchiveEntry(new ZipArchiveEntry(dir + "pom.properties"));
            zip.write(utf8("groupId=org.example\nartifactId=lib\nversion=1.0\n"));
            zip.closeArchiveEntry();
            zip.putArchiveEntry(new ZipArchiveEntry(dir + "pom.xml"));
            zip.write(utf8("<project><parent><licenses><license><name>Parent's</name></license></licenses></parent>"
                    + "<licenses><license><name>Apache License, Version 2.0</name></license>"
                    + "<license><name> EPL-2.0 </name></license></licenses></project>"));
            zip.closeArchiveEntry();
        }

        List<Package> packages =
                catalog(new JavaArchiveCataloger(KnownMavenGroups.load()), "app/lib-1.0.jar", bytes.toByteArray());

        assertThat(packages.get(0).licenses()).containsExactly("Apache License, Version 2.0", "EPL-2.0");
    }

    @Test
    void aPomWithADoctypeIsNotParsed() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            String dir = "META-INF/maven/org.example/lib/";
            zip.putArchiveEntry(new ZipArchiveEntry(dir + "pom.properties"));
            zip.write(utf8("groupId=org.example\nartifactId=lib\nversion=1.0\n"));
            zip.closeArchiveEntry();
            zip.putArchiveEntry(new ZipArchiveEntry(dir + "pom.xml"));
            zip.write(utf8("<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
                    + "<project><licenses><license><name>&x;</name></license></licenses></project>"));
            zip.closeArchiveEntry();
        }

        List<Package> packages =
                catalog(new JavaArchiveCataloger(KnownMavenGroups.load()), "app/lib-1.0.jar", bytes.toByteArray());

        assertThat(packages).hasSize(1);
        assertThat(packages.get(0).licenses()).isEmpty();
        assertThat(problems).extracting(Problem::reason).anyMatch(r -> r.contains("licences not read"));
    }
}
