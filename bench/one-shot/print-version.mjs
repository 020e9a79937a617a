// The least a CLI that is a file can do: start, load one module, print its version.
import process from 'node:process';

process.stdout.write('0.1.0\n');
