# dns fuzz targets
