package dev.palisade.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.palisade.catalog.dotnet.DotnetCataloger;
import dev.palisade.catalog.golang.GoModCataloger;
import dev.palisade.catalog.gradle.GradleDependenciesCataloger;
import dev.palisade.catalog.gradle.GradleLockfileCataloger;
import dev.palisade.catalog.gradle.GradleVerificationMetadataCataloger;
import dev.palisade.catalog.npm.NpmInstalledCataloger;
import dev.palisade.catalog.npm.PackageLockCataloger;
import dev.palisade.catalog.npm.PnpmLockCataloger;
import dev.palisade.catalog.npm.YarnLockCataloger;
import dev.palisade.catalog.php.ComposerLockCataloger;
import dev.palisade.catalog.python.PythonInstalledCataloger;
import dev.palisade.catalog.python.PythonLockCataloger;
import dev.palisade.catalog.ruby.GemfileLockCataloger;
import dev.palisade.catalog.rust.CargoLockCataloger;
import org.junit.jupiter.api.Timeout;

/** Lock files and the manifests of installed language packages, each under the name its cataloger reads. */
@Timeout(10)
class LockFilesFuzzTest {

    @FuzzTest
    void packageLock(byte[] input) {
        Fuzzing.catalog(new PackageLockCataloger(), "app/package-lock.json", input);
    }

    @FuzzTest
    void yarnLock(byte[] input) {
        Fuzzing.catalog(new YarnLockCataloger(), "app/yarn.lock", input);
    }

    @FuzzTest
    void pnpmLock(byte[] input) {
        Fuzzing.catalog(new PnpmLockCataloger(), "app/pnpm-lock.yaml", input);
    }

    @FuzzTest
    void npmPackageJson(byte[] input) {
        Fuzzing.catalog(new NpmInstalledCataloger(), "app/node_modules/lodash/package.json", input);
    }

    @FuzzTest
    void poetryLock(byte[] input) {
        Fuzzing.catalog(new PythonLockCataloger(), "app/poetry.lock", input);
    }

    @FuzzTest
    void pipfileLock(byte[] input) {
        Fuzzing.catalog(new PythonLockCataloger(), "app/Pipfile.lock", input);
    }

    @FuzzTest
    void requirementsTxt(byte[] input) {
        Fuzzing.catalog(new PythonLockCataloger(), "app/requirements.txt", input);
    }

    @FuzzTest
    void pythonMetadata(byte[] input) {
        Fuzzing.catalog(
                new PythonInstalledCataloger(),
                "usr/lib/python3/site-packages/requests-2.31.0.dist-info/METADATA",
                input);
    }

    @FuzzTest
    void goMod(byte[] input) {
        Fuzzing.catalog(new GoModCataloger(), "app/go.mod", input);
    }

    @FuzzTest
    void cargoLock(byte[] input) {
        Fuzzing.catalog(new CargoLockCataloger(), "app/Cargo.lock", input);
    }

    @FuzzTest
    void gemfileLock(byte[] input) {
        Fuzzing.catalog(new GemfileLockCataloger(), "app/Gemfile.lock", input);
    }

    @FuzzTest
    void composerLock(byte[] input) {
        Fuzzing.catalog(new ComposerLockCataloger(), "app/composer.lock", input);
    }

    @FuzzTest
    void dotnetDeps(byte[] input) {
        Fuzzing.catalog(new DotnetCataloger(false), "app/app.deps.json", input);
    }

    @FuzzTest
    void dotnetPackagesLock(byte[] input) {
        Fuzzing.catalog(new DotnetCataloger(true), "app/packages.lock.json", input);
    }

    @FuzzTest
    void gradleLockfile(byte[] input) {
        Fuzzing.catalog(new GradleLockfileCataloger(), "app/gradle.lockfile", input);
    }

    /** The saved output of {@code gradle dependencies}: a tree drawn in text. */
    @FuzzTest
    void gradleDependencies(byte[] input) {
        Fuzzing.catalog(new GradleDependenciesCataloger(), "app/" + GradleDependenciesCataloger.FILE_NAME, input);
    }

    @FuzzTest
    void gradleVerificationMetadata(byte[] input) {
        Fuzzing.catalog(new GradleVerificationMetadataCataloger(), "app/gradle/verification-metadata.xml", input);
    }
}
