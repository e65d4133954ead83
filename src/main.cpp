#include "cli/cli.h"

int main(int argc, char** argv) { return berth::runCli(argc, argv); }
