def log = new File(basedir, 'build.log').text
def ansi = /\u001B\[[0-9;]*m/
// 1 (the log up to its BUILD SUCCESS): tests ran and passed, the main trained and tested.
def first = log.substring(0, log.indexOf('BUILD SUCCESS'))
def runs = (first =~ /(?m)Tests run: (\d+), Failures: 0, Errors: 0, Skipped: 0\s*$/).collect { it[1] as int }
assert !runs.isEmpty() && runs.every { it > 0 } : "no tests ran: ${runs}"
assert first.contains('Wide: ') && first.contains('epoch 1/1') : 'the generated main did not train'
assert first =~ /test +loss [0-9.]+ +acc [0-9.]+%/ : 'the generated main did not report its test figures'
// 2 and 3: without the flag, the one line that says what to add (printed by the main, then by
// the test JVM), status 2 from the main, and no NoClassDefFoundError.
def line = "error: Kiln needs the Vector API: run java with --add-modules jdk.incubator.vector (and give it to Surefire's argLine)"
assert log.readLines().count { it.replaceAll(ansi, '').trim() == line } == 2 : 'the main and the test run without the flag did not print the one line'
assert log.contains('Process exited with an error: 2') : 'the main without the flag did not exit with status 2'
assert !log.contains('NoClassDefFoundError')
true
