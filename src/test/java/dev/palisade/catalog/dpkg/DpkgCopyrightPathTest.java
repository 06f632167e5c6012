package dev.palisade.catalog.dpkg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DpkgCopyrightPathTest {
    @Test
    void shouldWantTheCopyrightFileOfEachPackageOnly() {
        assertThat(DpkgCopyrightCataloger.isCopyrightFile("usr/share/doc/bash/copyright"))
                .isTrue();
        assertThat(DpkgCopyrightCataloger.isCopyrightFile("usr/share/doc/libc6:amd64/copyright"))
                .isTrue();
        assertThat(DpkgCopyrightCataloger.isCopyrightFile("usr/share/doc/x/copyright"))
                .isTrue();
        assertThat(DpkgCopyrightCataloger.isCopyrightFile("usr/share/doc/copyright"))
                .isFalse();
        assertThat(DpkgCopyrightCataloger.isCopyrightFile("usr/share/doc//copyright"))
                .isFalse();
        assertThat(DpkgCopyrightCataloger.isCopyrightFile("usr/share/doc/bash/examples/copyright"))
                .isFalse();
        assertThat(DpkgCopyrightCataloger.isCopyrightFile("usr/share/doc/bash/copyright.gz"))
                .isFalse();
        assertThat(DpkgCopyrightCataloger.isCopyrightFile("usr/share/doc/bash/xcopyright"))
                .isFalse();
        assertThat(DpkgCopyrightCataloger.isCopyrightFile("opt/usr/share/doc/bash/copyright"))
                .isFalse();
    }
}
