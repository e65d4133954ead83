#include "web/static_files.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "web/embedded_assets.h"

namespace berth::web {
namespace {

struct File {
  std::string mime_type;
  std::string body;
  std::string gzip;  // may be empty
};

std::string mimeFor(const std::filesystem::path& path) {
  const auto ext = path.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::optional<File> embeddedFile(std::string_view path) {
  const auto assets = embeddedAssets();
  const auto it =
      std::lower_bound(assets.begin(), assets.end(), path,
                       [](const EmbeddedAsset& a, std::string_view p) { return a.path < p; });
  if (it == assets.end() || it->path != path) return std::nullopt;
  return File{std::string(it->mime_type), std::string(it->body), std::string(it->gzip)};
}

// Only paths made of plain segments: the router has already refused ".." (http/request_target).
std::optional<File> diskFile(const std::filesystem::path& dir, std::string_view path) {
  std::error_code ec;
  const auto full = dir / std::filesystem::path(std::string(path.substr(1)));
  if (!std::filesystem::is_regular_file(full, ec)) return std::nullopt;
  std::ifstream in(full, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  return File{mimeFor(full), body.str(), ""};
}

bool acceptsGzip(const http::Request& request) {
  const auto accept = request.header("accept-encoding");
  return accept && accept->find("gzip") != std::string_view::npos;
}

}  // namespace

StaticFiles::StaticFiles(std::optional<std::filesystem::path> dir) : dir_(std::move(dir)) {}

bool StaticFiles::available() const {
  return dir_ ? diskFile(*dir_, "/index.html").has_value()
              : embeddedFile("/index.html").has_value();
}

http::Response StaticFiles::serve(const http::Request& request) const {
  const std::string& path = request.path;
  if (path == "/api" || path.starts_with("/api/"))
    return http::Response::error(404, "not_found", "no such path: " + path);
  auto lookup = [&](std::string_view p) { return dir_ ? diskFile(*dir_, p) : embeddedFile(p); };
  std::optional<File> file;
  if (path != "/" && !path.ends_with('/')) file = lookup(path);
  bool immutable = file && path.starts_with("/_app/immutable/");
  if (!file) {
    if (path.starts_with("/_app/"))
      return http::Response::error(404, "not_found", "no such file: " + path);
    file = lookup("/index.html");
    immutable = false;
    if (!file)
      return http::Response::error(
          404, "not_found",
          "this berth was built without the dashboard (web/); the API is under /api");
  }
  http::Response response;
  response.status = 200;
  response.headers.emplace_back("Content-Type", file->mime_type);
  response.headers.emplace_back("Cache-Control",
                                immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (!file->gzip.empty()) {
    response.headers.emplace_back("Vary", "Accept-Encoding");
    if (acceptsGzip(request)) {
      response.headers.emplace_back("Content-Encoding", "gzip");
      response.body = std::move(file->gzip);
      return response;
    }
  }
  response.body = std::move(file->body);
  return response;
}

}  // namespace berth::web
