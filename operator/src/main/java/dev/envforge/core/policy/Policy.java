package dev.envforge.core.policy;

/** A named set of rules; in a cluster, one EnvironmentPolicy. */
public record Policy(String name, PolicyRules rules) {}
