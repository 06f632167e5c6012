// The four runs of invoker.properties passed or failed as it requires; the reports checked here are those of
// run 3 (HIGH, no ignore file), parsed.
import groovy.json.JsonSlurper

def target = new File(basedir, 'target')
def json = new JsonSlurper()
// Palisade names a finding by its CVE alias where the advisory has one, and keeps the GHSA id as a reference
def expected = ['CVE-2020-8908', 'CVE-2023-2976', 'CVE-2022-1471'] as Set
def advisories = ['CVE-2020-8908': 'GHSA-5mg8-w23w-74h3', 'CVE-2023-2976': 'GHSA-7g45-4rm6-3mm3',
                  'CVE-2022-1471': 'GHSA-mjmj-j48q-9wg2']

def sarif = json.parse(new File(target, 'palisade.sarif'))
def sarifIds = sarif.runs[0].results.collect { it.ruleId } as Set
assert sarifIds == expected
def snakeyamlResult = sarif.runs[0].results.find { it.ruleId == 'CVE-2022-1471' }
assert snakeyamlResult.level == 'error'
assert snakeyamlResult.locations[0].physicalLocation.artifactLocation.uri == 'pom.xml'

def cdx = json.parse(new File(target, 'palisade.cdx.json'))
assert cdx.bomFormat == 'CycloneDX'
assert (cdx.vulnerabilities.collect { it.id } as Set) == expected
def purls = cdx.components.collect { it.purl } as Set
assert purls.containsAll(['pkg:maven/com.google.guava/guava@20.0', 'pkg:maven/org.yaml/snakeyaml@1.33',
                          'pkg:maven/dev.palisade.it/yaml-config@1.0'])
cdx.vulnerabilities.each { v -> assert v.references.collect { it.id } == [advisories[v.id]] }
def snakeyamlVuln = cdx.vulnerabilities.find { it.id == 'CVE-2022-1471' }
assert snakeyamlVuln.affects.collect { it.ref.split('[|]')[0] } == ['pkg:maven/org.yaml/snakeyaml@1.33']

// the list handed to the scanner keeps Maven's scope and the dependency trail, and the graph
def deps = json.parse(new File(target, 'palisade-dependencies.cdx.json'))
def snakeyaml = deps.components.find { it.name == 'snakeyaml' }
def props = snakeyaml.properties.collectEntries { [(it.name): it.value] }
assert props['palisade:maven:scope'] == 'runtime'
assert props['palisade:maven:trail'] == 'dev.palisade.it:fails-on-high:1.0 -> dev.palisade.it:yaml-config:1.0 -> org.yaml:snakeyaml:1.33'
def yamlConfigNode = deps.dependencies.find { it.ref == 'pkg:maven/dev.palisade.it/yaml-config@1.0' }
assert yamlConfigNode.dependsOn == ['pkg:maven/org.yaml/snakeyaml@1.33']

// the failure names the one finding over the threshold, with the dependency that brought it in
def log = new File(basedir, 'build.log').readLines()
def failure = log.findIndexOf { it.startsWith('[ERROR] Failed to execute goal') && it.contains('1 vulnerability of severity HIGH or higher') }
assert failure >= 0 : 'the HIGH run did not fail on the threshold'
def listed = log.subList(failure + 1, log.size()).takeWhile { it.startsWith('[ERROR]   CVE-') || it.startsWith('  CVE-') }
assert listed.size() == 1
assert listed[0].contains('CVE-2022-1471 HIGH org.yaml:snakeyaml 1.33 (runtime, via dev.palisade.it:yaml-config:1.0)')
assert log.any { it.contains('no vulnerability of severity CRITICAL or higher') }
// run 2 wrote its SARIF where -Dpalisade.sarifFile said (a directory that did not exist yet)
assert (json.parse(new File(target, 'reports/run2/palisade.sarif')).runs[0].results.collect { it.ruleId } as Set) == expected
// run 1 passed at HIGH: its ignore file accepts the HIGH finding
assert log.any { it.contains('no vulnerability of severity HIGH or higher') }

// run 4 (mvn -o, an https mirror, an empty cache): refused without trying the network
def offline = log.findAll { it.contains('Palisade could not scan the dependencies') }
assert offline.size() == 1
assert offline[0].contains('no vulnerability database in') && offline[0].contains('Maven runs offline')
assert !new File(target, 'no-database/vulndb.sqlite').exists()
return true
