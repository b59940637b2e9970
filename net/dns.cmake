# DNS codec sources (net/src/dns).
