# dnsvizor config fuzz targets
