def main(argv=None):
    print("movebreak: not yet")
    return 0
