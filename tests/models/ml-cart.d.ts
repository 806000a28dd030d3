/** The part of ml-cart (untyped JavaScript) that the tests use as an independent reference. */
declare module "ml-cart" {
  export interface DecisionTreeRegressionOptions {
    gainFunction?: "regression";
    splitFunction?: "mean";
    minNumSamples?: number;
    maxDepth?: number;
  }
  export class DecisionTreeRegression {
    constructor(options?: DecisionTreeRegressionOptions);
    train(trainingSet: number[][], trainingValues: number[]): void;
    predict(toPredict: number[][]): number[];
  }
}
