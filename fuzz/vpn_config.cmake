# vpn config fuzz targets
