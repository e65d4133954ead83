// Replacing a file so that a reader (nginx during a reload, an operator's `cat`, a backup job)
// sees either the old or the new content, never half of it: write a temporary file in the same
// directory, fsync it, rename it over the target, fsync the directory.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace berth {

// The temporary file ".<name>.<random>.berth-tmp" is created exclusively (never opened through
// an existing file or a symlink someone planted in a shared directory such as /tmp), does not
// end in ".conf" (so nginx's `include conf.d/*.conf` never reads it), and is removed again on
// failure. Throws std::system_error whose what() is "cannot write <path>: <reason>".
void writeFileAtomically(const std::filesystem::path& path, std::string_view content);

// The whole file, or nullopt if it does not exist. Throws std::system_error if it exists but
// cannot be read.
std::optional<std::string> readFileIfExists(const std::filesystem::path& path);

// Puts `previous` back (nullopt: removes the file). Used to undo a rejected change.
void restoreFile(const std::filesystem::path& path, const std::optional<std::string>& previous);

}  // namespace berth
