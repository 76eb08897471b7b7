/// Hardware and software event counting through PAPI.
public enum CountersModule {}
