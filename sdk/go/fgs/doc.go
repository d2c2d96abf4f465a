// A native Pulumi provider for FunctionGraph (FGS), the serverless functions service of Open Telekom Cloud and Huawei Cloud.
package fgs
