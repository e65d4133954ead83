#include "cli/atomic_write.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>

namespace berth {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, int error) {
  throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(error));
}

// Opens a new file "<path>.<random>.tmp" with O_EXCL: it fails rather than follow a symlink or
// reuse a file that already exists. Mode 0666 lets the umask decide, as for any new file.
int createTemporary(const std::filesystem::path& path, std::filesystem::path& tmp) {
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    tmp = path.string() + "." + std::to_string(random()) + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;
}

bool writeAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

void writeFileAtomically(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::path tmp;
  const int fd = createTemporary(path, tmp);
  if (fd < 0) fail(path, errno);
  // fsync before rename: after a crash the file holds the old or the new text, never nothing.
  const bool written = writeAll(fd, text) && ::fsync(fd) == 0;
  const int write_error = errno;
  if (::close(fd) != 0 || !written) {
    const int error = written ? errno : write_error;
    ::unlink(tmp.c_str());
    fail(path, error);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(tmp.c_str());
    fail(path, error);
  }
}

}  // namespace berth
