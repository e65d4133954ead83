#include "fs/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <random>
#include <sstream>
#include <system_error>

namespace berth {
namespace {

[[noreturn]] void fail(int error, const std::string& what) {
  throw std::system_error(error, std::generic_category(), what);
}

// O_EXCL: fails rather than follow a symlink or reuse a file that already exists. Mode 0666
// lets the umask decide, as for any new file.
int createTemporary(const std::filesystem::path& path, std::filesystem::path& tmp) {
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    tmp = path.parent_path() /
          ("." + path.filename().string() + "." + std::to_string(random()) + ".berth-tmp");
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;
}

bool writeAll(int fd, std::string_view content) {
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

void fsyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: the rename itself already happened
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void writeFileAtomically(const std::filesystem::path& path, std::string_view content) {
  const std::string what = "cannot write " + path.string();
  std::filesystem::path tmp;
  const int fd = createTemporary(path, tmp);
  if (fd < 0) fail(errno, what);
  // fsync before rename: after a crash the file holds the old or the new text, never nothing.
  const bool written = writeAll(fd, content) && ::fsync(fd) == 0;
  const int write_error = errno;
  if (::close(fd) != 0 || !written) {
    const int error = written ? errno : write_error;
    ::unlink(tmp.c_str());
    fail(error, what);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(tmp.c_str());
    fail(error, what);
  }
  fsyncDirectory(path.parent_path());
}

std::optional<std::string> readFileIfExists(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(path)) return std::nullopt;
    fail(errno, "cannot read " + path.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void restoreFile(const std::filesystem::path& path, const std::optional<std::string>& previous) {
  if (previous) {
    writeFileAtomically(path, *previous);
  } else if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    fail(errno, "cannot remove " + path.string());
  }
}

}  // namespace berth
