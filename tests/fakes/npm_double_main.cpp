// Runs the NPM double on its own, for trying the npm driver by hand or from a script:
//   berth_npm_double [--conf-dir DIR --listen ADDR --test-cmd 'nginx -t' --reload-cmd '...']
// prints its URL, then serves until stdin closes (or SIGTERM). Login: admin@example.com /
// changeme, or --identity/--secret.
#include <iostream>
#include <sstream>
#include <string>

#include "fakes/npm_double.h"

namespace {

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;)
    out.push_back(w);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  berth::testing::NpmDoubleOptions options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--conf-dir")
      options.nginx_conf_dir = value;
    else if (key == "--listen")
      options.nginx_listen = value;
    else if (key == "--test-cmd")
      options.nginx_test_argv = words(value);
    else if (key == "--reload-cmd")
      options.nginx_reload_argv = words(value);
    else if (key == "--identity")
      options.identity = value;
    else if (key == "--secret")
      options.secret = value;
    else {
      std::cerr << "unknown option " << key << "\n";
      return 2;
    }
  }
  berth::testing::NpmDouble npm(options);
  std::cout << npm.url() << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  return 0;
}
