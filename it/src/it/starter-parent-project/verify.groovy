// The tests ran (not "Tests run: 0", which Maven 3.8's default Surefire reports for JUnit 5),
// and the generated main trained and tested.
def log = new File(basedir, 'build.log').text
def runs = (log =~ /(?m)Tests run: (\d+), Failures: 0, Errors: 0, Skipped: 0\s*$/).collect { it[1] as int }
assert !runs.isEmpty() && runs.every { it > 0 } : "no tests ran: ${runs}"
assert log.contains('Digits: ') && log.contains('epoch 1/1') : 'the generated main did not train'
assert log =~ /test +loss [0-9.]+ +acc [0-9.]+%/ : 'the generated main did not report its test figures'
assert !log.contains('NoClassDefFoundError')
true
