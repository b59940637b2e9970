# vpn fuzz targets
