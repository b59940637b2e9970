# net fuzz targets
