/** `aws.iam.getPolicyDocument` answered offline (offline/policyDocument.ts), as the AWS provider renders it. */
import { expect } from "chai";
import { policyDocumentAnswer } from "../offline/policyDocument";

describe("offline getPolicyDocument", () => {
    it("renders statements: lists of one as values, principals by type, conditions by test and variable, Sids kept", () => {
        const { json, minifiedJson } = policyDocumentAnswer({
            statements: [
                {
                    sid: "Read",
                    actions: ["s3:GetObject", "s3:ListBucket"],
                    resources: ["arn:aws:s3:::b/*"],
                    principals: [
                        { type: "AWS", identifiers: ["arn:aws:iam::111111111111:role/a"] },
                        { type: "AWS", identifiers: ["arn:aws:iam::111111111111:role/b"] },
                    ],
                    conditions: [
                        { test: "Bool", variable: "aws:SecureTransport", values: ["true"] },
                        { test: "StringEquals", variable: "aws:PrincipalAccount", values: ["111111111111", "222222222222"] },
                    ],
                },
                { effect: "Deny", notActions: ["s3:*"], notResources: ["*"], principals: [{ type: "*", identifiers: ["*"] }] },
            ],
        });
        expect(JSON.parse(json)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "Read",
                    Effect: "Allow",
                    Action: ["s3:GetObject", "s3:ListBucket"],
                    Resource: "arn:aws:s3:::b/*",
                    Principal: { AWS: ["arn:aws:iam::111111111111:role/a", "arn:aws:iam::111111111111:role/b"] },
                    Condition: { Bool: { "aws:SecureTransport": "true" }, StringEquals: { "aws:PrincipalAccount": ["111111111111", "222222222222"] } },
                },
                { Effect: "Deny", NotAction: "s3:*", NotResource: "*", Principal: "*" },
            ],
        });
        expect(minifiedJson).to.equal(JSON.stringify(JSON.parse(json)));
    });

    it("puts source documents' statements first and lets override documents replace a statement by Sid or add one", () => {
        const source = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
        const override = JSON.stringify({ Statement: [{ Sid: "B", Effect: "Deny", Action: "s3:*", Resource: "*" }, { Sid: "C", Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }] });
        const { json } = policyDocumentAnswer({
            sourcePolicyDocuments: [source],
            statements: [{ sid: "B", actions: ["s3:PutObject"], resources: ["*"] }],
            overridePolicyDocuments: [override],
        });
        expect((JSON.parse(json) as { Statement: { Sid: string; Effect: string }[] }).Statement.map((s) => [s.Sid, s.Effect])).to.deep.equal([
            ["A", "Allow"],
            ["B", "Deny"],
            ["C", "Allow"],
        ]);
    });
});
