# dnsvizor fuzz targets
