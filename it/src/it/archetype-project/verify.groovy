// The generated project: what the archetype promises, built, tested and trained.
def project = new File(basedir, 'digits')
['pom.xml', 'README.md', '.gitignore',
 'src/main/java/com/example/digits/MnistMlp.java',
 'src/test/java/com/example/digits/MnistMlpTest.java'].each {
    assert new File(project, it).isFile() : "the archetype did not generate ${it}"
}
assert new File(project, 'target/generated-sources/annotations/com/example/digits/MnistMlpMain.java').isFile()
def log = new File(basedir, 'build.log').text
def runs = (log =~ /(?m)Tests run: (\d+), Failures: 0, Errors: 0, Skipped: 0\s*$/).collect { it[1] as int }
assert !runs.isEmpty() && runs.every { it > 0 } : "no tests ran: ${runs}"
assert log.contains('MnistMlp: ') && log.contains('epoch 1/1') : 'the generated main did not train'
assert log =~ /test +loss [0-9.]+ +acc [0-9.]+%/ : 'the generated main did not report its test figures'
assert !log.contains('NoClassDefFoundError')
true
