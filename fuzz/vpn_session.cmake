# vpn session/data-channel fuzz targets
