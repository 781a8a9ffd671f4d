print("byneed")
