package dev.envforge.core.lock.toml;

/**
 * A TOML offset or local date-time, date or time, in java.time's text form ({@code 1979-05-27T07:32Z}); envforge
 * reads none, so they are kept as text.
 */
public record TomlDateTime(String text) {}
