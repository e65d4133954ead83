// The outcome of parsing or checking operator input: a value, or a message saying what is wrong.
//
// Convention in core/: a function returns Result<T> when its caller must tell an operator *why*
// the input was refused (an image reference in berth.yaml, a promotion request); it returns
// std::optional<T> when "no" needs no explanation (is this tag a semantic version?).
// C++20 has no std::expected; this is the small subset berth needs.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace berth {

// Why an input was refused, in words an operator can act on.
struct Failure {
  std::string message;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Failure failure) : state_(std::in_place_index<1>, std::move(failure)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Precondition: ok(). Reading the value of a failure is a programming error, so it throws
  // std::logic_error carrying the failure's message (easier to diagnose than a bad_variant_access).
  const T& value() const& { return checkedValue(*this); }
  T& value() & { return checkedValue(*this); }
  T&& value() && { return std::move(checkedValue(*this)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  // Precondition: !ok().
  const std::string& error() const {
    if (ok()) throw std::logic_error("Result::error() called on a success");
    return std::get<1>(state_).message;
  }

 private:
  template <class Self>
  static auto& checkedValue(Self& self) {
    if (!self.ok()) throw std::logic_error("Result::value() called on a failure: " + self.error());
    return std::get<0>(self.state_);
  }

  std::variant<T, Failure> state_;
};

}  // namespace berth
