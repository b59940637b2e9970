#include "backend_health.hpp"

namespace nfv::tls_proxy {

bool BackendHealth::record(bool ok) {
    if (ok == up_) {
        streak_ = 0;  // an outcome that agrees with the state breaks any opposite streak
        return false;
    }
    ++streak_;
    if (streak_ < (up_ ? fall_ : rise_)) {
        return false;
    }
    up_ = !up_;
    streak_ = 0;
    return true;
}

}  // namespace nfv::tls_proxy
