# tls-proxy fuzz targets
