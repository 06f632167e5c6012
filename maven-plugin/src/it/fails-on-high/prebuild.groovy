// The fixtures this build reads, written under target/ so nothing binary is kept in git:
// - target/osv/Maven/all.zip: the OSV export layout, holding the real advisory records of advisories/
// - target/fixture-repo: a Maven repository with the dependencies under their real coordinates (empty jars:
//   the plugin reads coordinates, not classes)
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

def target = new File(basedir, 'target')
def mirror = new File(target, 'osv/Maven')
mirror.mkdirs()
new ZipOutputStream(new FileOutputStream(new File(mirror, 'all.zip'))).withCloseable { zip ->
    new File(basedir, 'advisories').listFiles().findAll { it.name.endsWith('.json') }.sort { it.name }.each { f ->
        zip.putNextEntry(new ZipEntry(f.name))
        zip.write(f.bytes)
        zip.closeEntry()
    }
}

def repo = new File(target, 'fixture-repo')
def artifact = { String group, String name, String version, String dependencies ->
    def dir = new File(repo, group.replace('.', '/') + '/' + name + '/' + version)
    dir.mkdirs()
    new File(dir, "${name}-${version}.pom").text = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>${group}</groupId>
  <artifactId>${name}</artifactId>
  <version>${version}</version>
  <dependencies>${dependencies}</dependencies>
</project>
"""
    new ZipOutputStream(new FileOutputStream(new File(dir, "${name}-${version}.jar"))).withCloseable { zip ->
        zip.putNextEntry(new ZipEntry('META-INF/MANIFEST.MF'))
        zip.write('Manifest-Version: 1.0\r\n\r\n'.bytes)
        zip.closeEntry()
    }
}
artifact('com.google.guava', 'guava', '20.0', '')
artifact('org.yaml', 'snakeyaml', '1.33', '')
artifact('dev.palisade.it', 'yaml-config', '1.0',
        '<dependency><groupId>org.yaml</groupId><artifactId>snakeyaml</artifactId><version>1.33</version></dependency>')
return true
