// Replacing a configuration file so that a reader (nginx during a reload, an operator's `cat`)
// sees either the old or the new content, never half of it: write a temporary file in the
// same directory, fsync it, rename it over the target, fsync the directory.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace berth::proxy {

// Throws std::system_error on failure (the temporary file is removed again). The temporary
// name (".<name>.berth-tmp") does not end in ".conf", so `include conf.d/*.conf` never sees it.
void writeFileAtomically(const std::filesystem::path& path, std::string_view content);

// The whole file, or nullopt if it does not exist. Throws std::system_error if it exists but
// cannot be read.
std::optional<std::string> readFileIfExists(const std::filesystem::path& path);

// Puts `previous` back (nullopt: removes the file). Used to undo a rejected change.
void restoreFile(const std::filesystem::path& path, const std::optional<std::string>& previous);

}  // namespace berth::proxy
