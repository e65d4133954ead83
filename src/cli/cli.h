#pragma once
namespace berth {
// Runs the berth command line; returns the process exit code.
int runCli(int argc, char** argv);
}  // namespace berth
