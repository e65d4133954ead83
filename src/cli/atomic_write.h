// Writing a file so that readers see either the old contents or all of the new ones.
#pragma once

#include <filesystem>
#include <string>

namespace berth {

// Writes `text` to a new temporary file beside `path`, syncs it and renames it over `path`.
// The temporary file is created exclusively under a fresh name (never opened through an
// existing file or symlink, which in a shared directory such as /tmp someone else may have
// planted) and removed again if anything fails. Throws std::runtime_error naming `path`.
void writeFileAtomically(const std::filesystem::path& path, const std::string& text);

}  // namespace berth
