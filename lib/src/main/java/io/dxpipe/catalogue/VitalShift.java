package io.dxpipe.catalogue;

/** Mean shift a disease adds to each vital sign (°C, beats/min, mmHg, breaths/min, % SpO2). */
public record VitalShift(double temperature, double heartRate, double systolic, double respiratoryRate,
    double spo2) implements java.io.Serializable {
  public static final VitalShift NONE = new VitalShift(0, 0, 0, 0, 0);
}
