// The real HttpClient, on libcurl: TCP, TLS (with client certificates) and unix sockets.
#pragma once

#include "net/http.h"

namespace berth::net {

class CurlHttpClient : public HttpClient {
 public:
  CurlHttpClient();
  HttpResponse send(const HttpRequest& request, const CancelFlag* cancel = nullptr) override;
  HttpResponse stream(const HttpRequest& request, const OnHeaders& on_headers,
                      const OnData& on_data, const CancelFlag* cancel = nullptr) override;
};

}  // namespace berth::net
