"""Short record texts in several house styles (US, UK, Chinese), one per document type."""

from __future__ import annotations

from extractors.vocabulary import DocType

T = DocType

TEXTS: dict[str, tuple[DocType, str]] = {
    "pathology_us": (
        T.PATHOLOGY_REPORT,
        """Lakeside Medical Center - Department of Pathology
SURGICAL PATHOLOGY REPORT
Patient: RIVERA, ANA M    DOB: 07/22/1958    MRN: 00458812
Accession: S26-11873     Date of Report: 09/14/2026
SPECIMEN: Left cervical lymph node, excisional biopsy
FINAL DIAGNOSIS:
Diffuse large B-cell lymphoma, germinal center B-cell type.
GROSS DESCRIPTION: Received in formalin labeled with the patient's name, a tan lymph node 2.1 cm.
MICROSCOPIC DESCRIPTION: Sheets of large atypical lymphoid cells. Tumor cells are positive for
CD20, CD19 and BCL6 and negative for CD10. Ki-67 approximately 80%.
Electronically signed out by: pathologist""",
    ),
    "pathology_uk": (
        T.PATHOLOGY_REPORT,
        """St Aldhelm's NHS Foundation Trust
Cellular Pathology Report
Name: Mr Peter Hughes   Hospital No: K1188420   DOB 03/11/1962
Specimen received: 12/10/2026
Macroscopic description: A core of tissue 12 mm.
Microscopy: Poorly differentiated spindle cell neoplasm.
Conclusion: Synovial sarcoma. MAGE-A4 IHC: Positive (60% of tumour cells, 2+/3+).""",
    ),
    "molecular": (
        T.MOLECULAR_REPORT,
        """Genomics Laboratory
MOLECULAR PATHOLOGY REPORT
Patient Name: Peter Hughes   DOB: 03/11/1962
Test performed: SS18 break-apart FISH
Result: SS18 rearrangement DETECTED in 78% of nuclei scored (200 nuclei).
Interpretation: consistent with synovial sarcoma t(X;18).""",
    ),
    "hla": (
        T.HLA_TYPING,
        """Regional Histocompatibility Laboratory
HLA TYPING REPORT
Patient: Peter Hughes  DOB: 03/11/1962
Typing method: sequence-based typing (high resolution)
HLA-A*02:01, A*24:02
HLA-B*07:02, B*44:02""",
    ),
    "imaging_pet": (
        T.IMAGING_REPORT,
        """Northside Imaging
EXAM: PET/CT SKULL BASE TO MID-THIGH
DATE OF EXAM: 10/28/2026
CLINICAL INDICATION: Restaging lymphoma.
TECHNIQUE: 10.2 mCi F-18 FDG was administered intravenously.
COMPARISON: None.
FINDINGS: Hypermetabolic cervical lymph nodes, SUVmax 14.2.
IMPRESSION: FDG-avid lymphoma above and below the diaphragm, Deauville 5.""",
    ),
    "imaging_mri": (
        T.IMAGING_REPORT,
        """MRI BRAIN WITH AND WITHOUT CONTRAST
Date of study: 2026-10-30
Findings: No enhancing intracranial mass. No midline shift. Ventricles normal in size.
Impression: No evidence of intracranial metastatic disease.""",
    ),
    "lab": (
        T.LAB_RESULTS,
        """Mercy Laboratory Services
LABORATORY REPORT
Patient: DOE, JANE   DOB: 03/14/1961  MRN: SMH-4410237   Sex: F
Collected: 11/02/2026 08:15
Test                        Result  Flag  Units      Reference Range
WBC                         3.1     L     K/uL       4.0-11.0
Hemoglobin                  9.8     L     g/dL       12.0-16.0
Platelets                   85      L     x10^3/uL   150-400
Absolute Neutrophil Count   1.2     L     K/uL       1.5-8.0
Creatinine                  88            umol/L     45-90
Total Bilirubin             0.8           mg/dL      0.2-1.2
ALT                         32            U/L        7-56
AST                         28            U/L        10-40
HIV-1/2 Ag/Ab               Non-reactive
HBsAg                       Negative
HCV Ab                      Nonreactive
Serum hCG, quantitative     <2 mIU/mL""",
    ),
    "echo": (
        T.CARDIAC_FUNCTION,
        """Riverside Heart Institute
TRANSTHORACIC ECHOCARDIOGRAM REPORT
Patient: Jane Doe   DOB: 03/14/1961
Study date: 10/01/2026
Left ventricle: normal size. Left ventricular ejection fraction is estimated at 55-60%.
Mitral valve: trace regurgitation. Aortic valve: trileaflet.
Conclusions: normal biventricular systolic function.""",
    ),
    "muga": (
        T.CARDIAC_FUNCTION,
        """MUGA SCAN
Date: 14 October 2026
Resting left ventricular ejection fraction 48%. Wall motion: normal.""",
    ),
    "pft": (
        T.PULMONARY_FUNCTION,
        """PULMONARY FUNCTION TEST REPORT
Date of test: 09/30/2026
Spirometry: FEV1 2.10 L (78% predicted); FVC 2.90 L (84% predicted); FEV1/FVC 72%.
DLCO 70% predicted. Interpretation: mild restrictive defect.""",
    ),
    "clinic": (
        T.CLINIC_NOTE,
        """Hematology/Oncology Clinic
PROGRESS NOTE
Date of visit: 11/03/2026
Patient: Jane Doe  DOB: 03/14/1961  MRN: SMH-4410237
Chief complaint: follow-up of relapsed DLBCL.
History of present illness: 65-year-old woman with DLBCL. Prior PET-CT showed progression; a CT
scan last year was reviewed. She had an echocardiogram in 2025.
Review of systems: negative except fatigue.
Physical exam: no acute distress.
ECOG performance status: 1
Assessment and plan: refer for CAR-T evaluation. Return to clinic in 2 weeks.""",
    ),
    "treatment": (
        T.TREATMENT_SUMMARY,
        """ONCOLOGY TREATMENT SUMMARY
Patient: Jane Doe   DOB: 03/14/1961
Date: 10/20/2026
Diagnosis: Diffuse large B-cell lymphoma
Line 1: R-CHOP x 6 cycles (01/2025 - 05/2025). Best response: CR.
Line 2: R-ICE x 2 cycles then autologous stem cell transplant (ASCT). Best response: PD.
Number of prior lines: 2""",
    ),
    "discharge": (
        T.DISCHARGE_SUMMARY,
        """DISCHARGE SUMMARY
Admission date: 09/01/2026   Discharge date: 09/06/2026
Admitting diagnosis: febrile neutropenia
Hospital course: The patient was admitted and treated with IV antibiotics. Cultures negative.
Discharge diagnoses: 1. Febrile neutropenia, resolved.
Discharge medications: acyclovir 400 mg twice daily.
Condition at discharge: stable. Disposition: home.""",
    ),
    "operative": (
        T.OPERATIVE_REPORT,
        """OPERATIVE REPORT
Date of surgery: 08/12/2026
PREOPERATIVE DIAGNOSIS: Metastatic melanoma, right axilla.
POSTOPERATIVE DIAGNOSIS: Same.
PROCEDURE PERFORMED: Right axillary lymph node dissection.
SURGEON: A. Patel, MD   ANESTHESIA: General endotracheal.
ESTIMATED BLOOD LOSS: 50 mL.
DESCRIPTION OF PROCEDURE: The patient was prepped and draped in the usual sterile fashion.""",
    ),
    "medications": (
        T.MEDICATION_LIST,
        """CURRENT MEDICATION LIST
Printed 11/01/2026
Medication          Dose     Route   Frequency    Last dose
Acyclovir           400 mg   PO      twice daily  11/01/2026
Dexamethasone       4 mg     PO      daily        10/28/2026
Omeprazole          20 mg    PO      once daily   11/01/2026""",
    ),
    "referral": (
        T.REFERRAL_LETTER,
        """Valley Oncology Associates
15 October 2026
Dear Dr. Chen,
Re: Jane Doe, DOB 14/03/1961
Thank you for seeing this 65-year-old woman with relapsed diffuse large B-cell lymphoma, whom I
am referring for consideration of CAR-T cell therapy. She has received two prior lines of therapy.
Yours sincerely,
Dr. M. Okafor""",
    ),
    "administrative": (
        T.ADMINISTRATIVE,
        """PATIENT REGISTRATION / FACE SHEET
Patient: Jane Doe
Primary insurance: Blue Cross   Member ID: XJH448812   Group number: 7781
Guarantor: self    Emergency contact: John Doe (husband)""",
    ),
    "other_eeg": (
        T.OTHER,
        """ELECTROENCEPHALOGRAM REPORT
The posterior dominant rhythm is 9 Hz. Photic stimulation produced symmetric driving.
No epileptiform discharges were recorded. Impression: normal awake EEG.""",
    ),
    "zh_pathology": (
        T.PATHOLOGY_REPORT,
        """华东医院病理科
病理诊断报告
姓名：张伟  性别：男  年龄：54岁  病理号：P2026-1187
送检标本：左颈部淋巴结
大体所见：灰白色组织一块，大小2×1.5×1cm。
镜下所见：淋巴结结构破坏，大细胞弥漫增生。
免疫组化：CD20（+），CD19（+），CD10（-）。
病理诊断：弥漫大B细胞淋巴瘤
报告日期：2026年9月14日""",
    ),
    "zh_imaging": (
        T.IMAGING_REPORT,
        """影像诊断报告
姓名：张伟  性别：男
检查部位：胸部
检查方法：CT增强扫描
检查日期：2026-10-12
检查所见：纵隔多发肿大淋巴结，增强扫描不均匀强化。
诊断意见：纵隔淋巴结肿大，考虑淋巴瘤。""",
    ),
    "zh_lab": (
        T.LAB_RESULTS,
        """检验报告单
姓名：张伟  性别：男  病历号：ZY2026001
采样时间：2026-11-02
检验项目        结果     单位        参考范围
中性粒细胞计数   1.5      ×10^9/L    1.8-6.3
血小板          120      ×10^9/L    125-350
血红蛋白        105      g/L        130-175
乙肝表面抗原     阴性
丙肝抗体        阴性""",
    ),
    "zh_discharge": (
        T.DISCHARGE_SUMMARY,
        """出院小结
姓名：张伟  性别：男  住院号：ZY2026001
入院日期：2026-09-01  出院日期：2026-09-08
入院诊断：弥漫大B细胞淋巴瘤
住院经过：入院后予R-CHOP方案化疗，过程顺利。
出院诊断：弥漫大B细胞淋巴瘤
出院医嘱：定期复查血常规。""",
    ),
}
