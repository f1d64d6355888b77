#include "auth/seal_key_file.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

namespace jtgw::auth {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw std::runtime_error("seal key file " + path.string() + ": " + what);
}

[[noreturn]] void fail_errno(const std::filesystem::path& path, const std::string& what) {
  fail(path, what + ": " + std::strerror(errno));
}

// Closes the descriptor on every path out, including exceptions.
struct fd_guard {
  int fd;
  ~fd_guard() {
    if (fd >= 0) ::close(fd);
  }
};

bool write_all(int fd, const unsigned char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

// Creates the key file unless one exists. A new key is written and synced to a
// private temporary file first, then link()ed to `path`: link fails with EEXIST rather
// than replace, so two starters racing both end up reading the one that won.
void create_if_missing(const std::filesystem::path& path) {
  std::string temp = path.string() + ".tmp-XXXXXX";
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);  // mode 0600, O_EXCL
  if (fd < 0) fail_errno(path, "cannot create a temporary file next to it");
  fd_guard guard{fd};
  std::array<unsigned char, seal_key_bytes> key;
  const bool written = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0 &&
                       RAND_bytes(key.data(), static_cast<int>(key.size())) == 1 &&
                       write_all(fd, key.data(), key.size()) && ::fsync(fd) == 0;
  const int saved_errno = errno;
  OPENSSL_cleanse(key.data(), key.size());
  if (!written) {
    ::unlink(temp.c_str());
    errno = saved_errno;
    fail_errno(path, "cannot write a new key");
  }
  const int linked = ::link(temp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    errno = link_errno;
    fail_errno(path, "cannot put the new key in place");
  }
}

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

seal_key load_or_create_seal_key(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 && errno == ENOENT) {
    create_if_missing(path);
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  }
  if (fd < 0) fail_errno(path, "cannot open");
  fd_guard guard{fd};

  struct stat st {};
  if (::fstat(fd, &st) != 0) fail_errno(path, "cannot stat");
  if (!S_ISREG(st.st_mode)) fail(path, "is not a regular file");
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    fail(path, "has mode " + octal_mode(st.st_mode) +
                   ", which lets group or others access it; refusing to use it (chmod 600 it)");
  }
  if (st.st_size != static_cast<off_t>(seal_key_bytes)) {
    fail(path, "is " + std::to_string(st.st_size) + " bytes; a seal key is exactly 32 bytes");
  }

  std::array<char, seal_key_bytes> raw;
  std::size_t got = 0;
  while (got < raw.size()) {
    const ssize_t r = ::read(fd, raw.data() + got, raw.size() - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      OPENSSL_cleanse(raw.data(), raw.size());
      if (r == 0) fail(path, "shrank while being read");
      fail_errno(path, "cannot read");
    }
    got += static_cast<std::size_t>(r);
  }
  seal_key key = seal_key::from_bytes(std::string_view(raw.data(), raw.size()));
  OPENSSL_cleanse(raw.data(), raw.size());
  return key;
}

}  // namespace jtgw::auth
